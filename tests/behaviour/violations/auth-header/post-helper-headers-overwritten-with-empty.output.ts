import { NextRequest, NextResponse } from 'next/server'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'
import { getBackendHeaders } from '@/lib/backend-headers'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function POST(request: NextRequest) {
  const session = await getServerSession(authOptions)
  const headers = await getBackendHeaders(request)
  const body = await request.json()
  const response = await fetch(`${BRAIN_API_URL}/api/orders/`, {
    method: 'POST',
    headers: { ...headers, 'Authorization': session?.access_token ? `Bearer ${session.access_token}` : (request.headers.get('authorization') || '') },
    body: JSON.stringify(body),
  })
  return NextResponse.json(await response.json(), { status: response.status })
}
