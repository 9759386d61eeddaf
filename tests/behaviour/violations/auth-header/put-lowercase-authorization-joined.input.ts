import { NextRequest, NextResponse } from 'next/server'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function PUT(request: NextRequest) {
  const session = await getServerSession(authOptions)
  const authHeader = request.headers.get('authorization') ?? ''
  const body = await request.json()
  const response = await fetch(`${BRAIN_API_URL}/api/orders/${body.id}/`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', authorization: authHeader },
    body: JSON.stringify(body),
  })
  return NextResponse.json(await response.json(), { status: response.status })
}
